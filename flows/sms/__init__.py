"""Texts from households and members: the grammar that reads them and the replies.

Pure like the rest of ``flows``: :func:`flows.sms.grammar.parse` turns any text
into the effect the services record (or a help request, or not understood),
and :mod:`flows.sms.replies` writes every reply from the words in
:mod:`flows.sms.texts` (each message with its languages side by side).
"""
