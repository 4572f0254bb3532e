"""Stage 1: files -> documents, each value with its line and column."""
