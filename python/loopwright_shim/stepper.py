"""The debugger's decision between two callbacks: run the next one, or pause before it.

A line-for-line port of electron/host/runs/stepper.ts, so that "step" means the same for a Python
program as for a TypeScript scenario. Modes are dicts as they arrive from the host:
``{'kind': 'run'}``, ``{'kind': 'pause'}``, ``{'kind': 'callback', 'count': n}``,
``{'kind': 'iteration', 'iteration': n or None}``, ``{'kind': 'timer'}``.
"""


class Stepper(object):
    def __init__(self, start_paused=False):
        self.mode = {'kind': 'pause'} if start_paused else {'kind': 'run'}
        self.breakpoints = frozenset()
        self._paused_before = None

    def command(self, mode):
        self.mode = mode

    def set_breakpoints(self, names):
        self.breakpoints = frozenset(names)

    def is_free_running(self):
        """True when no callback can make it pause: the gate can stay open."""
        return self.mode.get('kind') == 'run' and not self.breakpoints

    def decide(self, next_id, name, task, iteration, from_timer):
        """Before a callback: the reason to pause before it ('pause', 'step', 'breakpoint'), or None."""
        reason = self._reason(next_id, name, task, iteration, from_timer)
        self._paused_before = None if reason is None else next_id
        return reason

    def _reason(self, next_id, name, task, iteration, from_timer):
        m = self.mode
        kind = m.get('kind')
        if kind == 'pause':
            return 'pause'
        if kind == 'callback' and m.get('count', 0) <= 0:
            return 'step'
        if kind == 'iteration':
            if m.get('iteration') is None:
                self.mode = {'kind': 'iteration', 'iteration': iteration}
            elif iteration != m.get('iteration'):
                return 'step'
        # The callback we stopped in front of runs now: that is what the user asked for.
        if next_id == self._paused_before:
            return None
        if kind == 'timer' and from_timer:
            return 'step'
        if name in self.breakpoints or (task is not None and task in self.breakpoints):
            return 'breakpoint'
        return None

    def ran(self):
        if self.mode.get('kind') == 'callback':
            self.mode = {'kind': 'callback', 'count': self.mode.get('count', 0) - 1}

    def paused(self):
        self.mode = {'kind': 'pause'}
