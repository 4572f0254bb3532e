"""Stage 3: the content model -> the Timeline every page reads (order, indexes)."""
