"""Vigil: sourced, queryable event data on armed groups from open-source reports."""

__version__ = "0.1.0"
