"""The build engine: the only code that knows about caches, fingerprints, the store beside the
output, recorded dependencies and the order of work. The stages it runs are pure functions."""
