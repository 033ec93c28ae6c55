"""The reference answer for each step: as short and plain as the article's code."""
