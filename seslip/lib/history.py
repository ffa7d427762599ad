"""django-simple-history's HistoricalRecords, with the history manager's class made once.

Its descriptor builds a new manager class (`HistoryManager.from_queryset(HistoricalQuerySet)`,
which walks the queryset's members) on every access of `Model.history` or `instance.history`,
and its post_save handler reads `instance.history` on every save: about 1.6 ms a save, 4 % of
the compose screen's saves. The class is the same every time, so it is built once per model;
each access still gets a manager of its own (bound to its instance), as the library's does.
"""

from typing import Any

from simple_history.manager import HistoryDescriptor
from simple_history.models import HistoricalRecords as LibraryHistoricalRecords


class OneClassHistoryDescriptor(HistoryDescriptor):
    """The library's descriptor, building its manager class once."""

    def __init__(self, model: Any, manager: Any, queryset: Any) -> None:
        super().__init__(model, manager=manager, queryset=queryset)
        self.manager_for_model = manager.from_queryset(queryset)

    def __get__(self, instance: Any, owner: Any) -> Any:
        return self.manager_for_model(self.model, instance)


class HistoricalRecords(LibraryHistoricalRecords):
    """Use as the library's: `history = HistoricalRecords(excluded_fields=[...])`."""

    def finalize(self, sender: Any, **kwargs: Any) -> None:
        super().finalize(sender, **kwargs)
        descriptor = sender.__dict__.get(self.manager_name)
        if type(descriptor) is HistoryDescriptor:  # set for this model (not inherited, abstract)
            setattr(
                sender,
                self.manager_name,
                OneClassHistoryDescriptor(
                    descriptor.model,
                    manager=descriptor.manager_class,
                    queryset=descriptor.queryset_class,
                ),
            )
