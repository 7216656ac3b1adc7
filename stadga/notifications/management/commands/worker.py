"""`stadga worker`: runs the background tasks and queues the daily job.

The task loop is django-tasks-db's own worker (the one `db_worker` runs); beside it a scheduler
thread checks every minute whether today's daily run has been queued and queues it if not, so
one process is all a small installation runs (`make run` starts it beside the web server).
`--once` queues what is due, runs every ready task and exits: for tests and for cron.
"""

from __future__ import annotations

import logging
import signal
import threading
from argparse import ArgumentParser
from collections.abc import Callable
from types import FrameType
from typing import Any

from django.core.management.base import BaseCommand
from django.db import DatabaseError, connection
from django.utils.crypto import get_random_string
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.management.commands.db_worker import Worker, valid_interval

from stadga.notifications.tasks import schedule_daily

logger = logging.getLogger("stadga.worker")

# How often the scheduler looks at the clock (seconds): the daily run starts within a minute of
# midnight, local time.
SCHEDULE_EVERY = 60.0

_SIGNALS = (signal.SIGINT, signal.SIGTERM)


class Scheduler:
    """Queues the daily run when it is due; `schedule_daily` makes sure only once a day."""

    def __init__(self, every: float = SCHEDULE_EVERY) -> None:
        self.every = every
        self.stopped = threading.Event()
        self.thread: threading.Thread | None = None

    def tick(self) -> int:
        """Queue today's run if no worker has; a database error is logged and retried later."""
        try:
            return schedule_daily()
        except DatabaseError:  # e.g. SQLite busy beyond its timeout: the next minute retries
            logger.exception("Could not check the daily schedule.")
        except Exception:  # a bug must not silently stop the schedule for good
            logger.exception("The daily schedule failed.")
        return 0

    def loop(self) -> None:
        while not self.stopped.is_set():
            self.tick()
            # This thread's own connection: closed between checks rather than held idle.
            connection.close()
            self.stopped.wait(self.every)

    def start(self) -> None:
        self.thread = threading.Thread(target=self.loop, name="stadga-scheduler", daemon=True)
        self.thread.start()

    def stop(self) -> None:
        """Stop after the current check, if one is running."""
        self.stopped.set()
        if self.thread is not None:
            self.thread.join(timeout=30)


class SchedulingWorker(Worker):
    """django-tasks-db's worker, which also stops the scheduler when asked to stop."""

    def __init__(self, *, scheduler: Scheduler, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.scheduler = scheduler

    def shutdown(self, signum: int, frame: FrameType | None) -> None:
        # Finish the running task (a second signal ends it), then exit.
        self.scheduler.stopped.set()
        super().shutdown(signum, frame)

    def configure_signals(self) -> None:
        sigint_ignored = signal.getsignal(signal.SIGINT) is signal.SIG_IGN
        super().configure_signals()
        if sigint_ignored:
            # Started in the background by a shell (as `make run` does): the terminal's Ctrl-C
            # is for the foreground process; the parent stops this one with SIGTERM.
            signal.signal(signal.SIGINT, signal.SIG_IGN)


class Command(BaseCommand):
    help = "Run the background tasks and queue the daily snapshot and reminders."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--once",
            action="store_true",
            help="Queue the daily run if it is due, run every ready task, then exit.",
        )
        parser.add_argument(
            "--interval",
            type=valid_interval,
            default=2.0,
            metavar="SECONDS",
            help="How long to wait for new tasks when the queue is empty (default: 2).",
        )

    def handle(self, *args: Any, once: bool, interval: float, **options: Any) -> None:
        backend = task_backends[DEFAULT_TASK_BACKEND_ALIAS]
        scheduler = Scheduler()
        previous = {sig: signal.getsignal(sig) for sig in _SIGNALS}
        try:
            if isinstance(backend, DatabaseBackend):
                self.run_worker(scheduler, once=once, interval=interval)
            else:
                # Another backend (e.g. a queue for scale-out) runs tasks in its own workers;
                # this process only keeps the schedule.
                logger.info("Tasks run on %s; only scheduling here.", type(backend).__name__)
                self.run_scheduler_only(scheduler, once=once)
        finally:
            scheduler.stop()
            for sig, handler in previous.items():
                if handler is not None:
                    signal.signal(sig, handler)

    def run_worker(self, scheduler: Scheduler, *, once: bool, interval: float) -> None:
        worker = SchedulingWorker(
            scheduler=scheduler,
            queue_names=["*"],
            excluded_queue_names=[],
            interval=interval,
            batch=once,  # --once: stop when no task is ready
            backend_name=DEFAULT_TASK_BACKEND_ALIAS,
            startup_delay=not once,
            max_tasks=None,
            worker_id=get_random_string(32),
        )
        worker.configure_signals()
        if once:
            scheduler.tick()
        else:
            scheduler.start()
        worker.run()

    def run_scheduler_only(self, scheduler: Scheduler, *, once: bool) -> None:
        if once:
            scheduler.tick()
            return

        def stop(signum: int, frame: FrameType | None) -> None:
            scheduler.stopped.set()

        handler: Callable[[int, FrameType | None], None] = stop
        for sig in _SIGNALS:
            if signal.getsignal(sig) is not signal.SIG_IGN:
                signal.signal(sig, handler)
        scheduler.start()
        while not scheduler.stopped.wait(1.0):  # a timeout, so that signals are handled
            pass
