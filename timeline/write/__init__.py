"""Stage 5: bytes into the output folder, atomically, with the search index made before the
new output is published."""
