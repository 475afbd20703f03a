"""vrlcat: keep a curated Markdown paper list as a YAML catalog."""

__version__ = "0.2.0"
