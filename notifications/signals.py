"""What other parts of kamteam can listen to."""

from __future__ import annotations

from django.dispatch import Signal

# Sent once the transaction that stored them commits, with `notifications`:
# the new notifications whose recipients chose to hear of their kind by
# e-mail at once (Channel.EMAIL). The e-mail sending connects to it; the
# notifications of every other channel are not in the list.
notifications_created = Signal()
