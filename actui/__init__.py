"""actui: a keyboard-driven terminal app for the Approved Contact phone-number inventory."""

__version__ = "0.1.0"
