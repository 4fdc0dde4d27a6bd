"""CAP (Common Alerting Protocol) 1.2 and 1.1: reading messages from feeds into alerts,
polling the feeds, and writing the municipality's own alerts as CAP for others to reuse.
"""
