"""Persistence: peewee models, the database proxy and migrations."""
