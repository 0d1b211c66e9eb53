"""Rules for offers and requests, suggestions, contact threads, exchanges and stories."""

from __future__ import annotations
