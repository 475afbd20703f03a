"""Network sources: each turns ids into facts. Base URLs come from settings so
tests point them at a loopback server."""
