"""What the quiz app tells other apps, without knowing who listens."""

from django.dispatch import Signal

# Sent inside the transaction that changed the scores, with `attempts`: a queryset of the
# attempts whose score, or whose counting, changed (a hand-in, a regrade, an assignment closed
# with unfinished attempts). A receiver that writes rows writes them in that transaction.
scores_changed = Signal()
