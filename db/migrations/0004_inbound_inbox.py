"""Inbound SMS as an inbox: handled by workers after the webhook stored them.

Rows already stored were handled inline when they arrived, so they are marked
handled. De-duplication moves from the provider id alone to the sender and
the provider id together; the unhandled rows get a small partial index of
their own, which is all the workers' drain reads.
"""

from peewee import DateTimeField


def up(migrator, db):
    migrator.migrate(
        migrator.add_column("inbound_message", "handled_at", DateTimeField(null=True)),
        migrator.drop_index("inbound_message", "inboundmessage_provider_id"),
        migrator.drop_index("inbound_message", "inboundmessage_phone"),
        migrator.add_index("inbound_message", ("phone", "provider_id"), True),
    )
    db.execute_sql("UPDATE inbound_message SET handled_at = received_at")
    db.execute_sql(
        "CREATE INDEX inbound_message_unhandled ON inbound_message (id) WHERE handled_at IS NULL"
    )
