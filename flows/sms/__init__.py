"""Texts from households and members: the grammar that reads them and the replies.

Pure like the rest of ``flows``: :func:`flows.sms.grammar.parse` turns any text
into the effect the services record (or a help request, or not understood),
and :mod:`flows.sms.replies` holds every word that goes back.
"""
