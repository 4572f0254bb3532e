"""Stage 2: documents -> the content model, or located problems: each file alone into a draft,
then what involves several files."""
