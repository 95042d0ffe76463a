"""Pure logic: USSD menus, the SMS grammar, texts and encodings.

Nothing here talks to Flask, the database, Redis or the network, so every
flow can be stepped from a terminal and tested as a table.
"""
