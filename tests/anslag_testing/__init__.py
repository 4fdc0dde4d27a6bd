"""Shared helpers for Anslag's tests: throwaway databases, free ports, server processes."""
