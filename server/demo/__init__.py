"""Demo content for trying Anslag out: Övertorneå's screens with pictures, news and an event."""
