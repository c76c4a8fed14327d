import asyncio

from server.runs.local_run import LocalRun


async def test_subscribers_get_every_event_then_the_end():
    run = LocalRun("r", "t")
    queue = run.subscribe()
    run.publish("values", b"{}")
    run.close(b'{"a":1}', "success")
    assert [queue.get_nowait(), queue.get_nowait()] == [("values", b"{}", None), None]
    assert run.done.is_set() and run.result == b'{"a":1}'


async def test_late_subscriber_after_the_end_is_told_at_once():
    run = LocalRun("r", "t")
    run.close(b"{}", "success")
    assert await asyncio.wait_for(run.subscribe().get(), 1) is None


async def test_unsubscribed_client_stops_receiving_and_is_not_counted():
    run = LocalRun("r", "t")
    queue = run.subscribe()
    assert run.has_subscribers
    run.unsubscribe(queue)
    run.publish("values", b"{}")
    assert queue.empty() and not run.has_subscribers
