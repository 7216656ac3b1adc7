"""Test support shared by every app: factories, and the generic view/API matrix."""
