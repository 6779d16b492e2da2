"""The read-replica route (samspill/core/db.py): marked reads go to `replica` when it is
configured, writes and transactions never. The route itself, against a real streaming
replica, is tested in tests/cluster."""

from django.db import transaction
from django.test import override_settings

from samspill.core.db import ReplicaRouter, read_alias, replica_reads
from samspill.participants.models import Participant

router = ReplicaRouter()
WITH_REPLICA: dict[str, dict[str, str]] = {"default": {}, "replica": {}}


def test_without_a_replica_everything_reads_the_primary():
    with replica_reads():
        assert router.db_for_read(Participant) == "default"


@override_settings(DATABASES=WITH_REPLICA)
def test_it_reads_the_replica_only_where_asked():
    assert router.db_for_read(Participant) == "default"
    with replica_reads():
        assert router.db_for_read(Participant) == "replica"
    assert read_alias() == "default"


@override_settings(DATABASES=WITH_REPLICA)
def test_it_never_writes_to_the_replica():
    with replica_reads():
        assert router.db_for_write(Participant) == "default"
    assert router.allow_migrate("replica", "participants") is False


@override_settings(DATABASES=WITH_REPLICA)
def test_it_reads_the_primary_inside_a_transaction(transactional_db):
    with replica_reads():
        assert read_alias() == "replica"
        with transaction.atomic():
            assert read_alias() == "default"


@override_settings(DATABASES=WITH_REPLICA)
def test_it_works_as_a_decorator():
    @replica_reads()
    def view() -> str:
        return read_alias()

    assert view() == "replica"
    assert read_alias() == "default"
