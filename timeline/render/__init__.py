"""Stage 4: the Timeline -> a plan of every file, and the bytes of each."""
