"""Hooks other apps plug into.

`contract_activated` is sent inside the approving transaction, right after a contract became
active (a regisseur approved it, or an approved initiative created it), with
`contract=<Contract>` and `managers=[<User>, ...]`. The groups app connects a receiver that
creates the contract's zelfbeheergroep, so the group exists exactly when the contract is
active: if the receiver fails, the approval rolls back.

`contract_ended` is sent inside the transaction that ends an active contract (by its end date
or early), with `contract=<Contract>`: the groups app makes the contract's group a read-only
archive.
"""

from django.dispatch import Signal

contract_activated = Signal()
contract_ended = Signal()
