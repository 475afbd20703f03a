"""The commands of `vrlcat`, a module for each kind of work; cli.py registers them."""
