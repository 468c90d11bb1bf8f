"""社区工作台 Community Desk."""
__version__ = "0.1.0"
