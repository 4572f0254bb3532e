"""timeline: a static-site generator for sourced, citable chronologies."""

__version__ = "0.1.0"
