"""Texts from households and members: the grammar that reads them and the replies.

Pure like the rest of ``flows``: :func:`flows.sms.grammar.parse` turns any text
into a command, :func:`flows.sms.grammar.to_effect` into what the services
record, and :mod:`flows.sms.replies` holds every word that goes back.
"""
