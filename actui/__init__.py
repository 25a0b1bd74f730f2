"""actui: a keyboard-driven terminal app for the Approved Contact phone-number inventory.

Where comments cite "the guide", they mean the vendor's guide, the only specification:
`../shared/spec/phone-numbers-api.txt` beside the repository; "API-NOTES" is
`../shared/spec/API-NOTES.md`, how actui treats every point the guide leaves open.
"""

__version__ = "0.1.0"
