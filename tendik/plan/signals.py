"""Moments of the reporting cycle other parts of Teńdik act on, without the plan knowing
them: the indicators app turns an accepted report's figures into observations."""

from django.dispatch import Signal

# Sent inside the accepting transaction with `report`; a receiver that raises undoes it.
report_accepted = Signal()
