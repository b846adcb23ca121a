"""Tests of the embedded local workspace backend."""
