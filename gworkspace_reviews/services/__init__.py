"""The jobs people run: each computes a plan, then applies it. Services return results and never print."""
