"""Mobility Matchmaking Tool."""
