"""The pure domain of icp-audit: text normalisation, number recognisers, page facts, rules, verdicts.

This layer imports nothing of ours and only the standard library (import-linter enforces it).
"""
