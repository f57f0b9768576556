# Callback plugin for the template parity recorder: writes every task's outcome
# (keyed by task name = case id) to the JSON file named by $TP_RESULTS.
from __future__ import annotations
import json
import os
from ansible.plugins.callback import CallbackBase

DOCUMENTATION = '''
name: parity_recorder
type: aggregate
short_description: records task results for tsible's template parity suite
'''


def encode(value):
    """Type-tagged JSON so floats, tuples and dict order survive the trip to Node."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return {'__float__': repr(value)}
    if isinstance(value, str):
        return str(value)
    if isinstance(value, (list, tuple)):
        return [encode(v) for v in value]
    if isinstance(value, dict):
        return {'__dict__': [[encode(k), encode(v)] for k, v in value.items()]}
    return {'__other__': type(value).__name__, 'repr': repr(value)}


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = 'aggregate'
    CALLBACK_NAME = 'parity_recorder'
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.results = {}

    def _record(self, result, failed):
        res = result._result
        entry = {'failed': failed}
        if failed:
            entry['error'] = str(res.get('msg', ''))[:2000]
        elif 'msg' in res:
            msg = res['msg']
            if isinstance(msg, str):
                try:
                    msg = json.loads(msg)
                except ValueError:
                    msg = {'raw': msg}
            if isinstance(msg, dict) and 'value' in msg and 'type' in msg:
                entry['value'] = encode(msg['value'])
                entry['type'] = str(msg['type'])
                entry['repr'] = repr(msg['value'])
            else:
                entry['error'] = 'unexpected debug output: ' + repr(msg)[:500]
                entry['failed'] = True
        self.results[result._task.get_name()] = entry

    def v2_runner_on_ok(self, result):
        self._record(result, False)

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self._record(result, True)

    def v2_runner_on_skipped(self, result):
        self.results[result._task.get_name()] = {'failed': False, 'skipped': True}

    def v2_playbook_on_stats(self, stats):
        with open(os.environ['TP_RESULTS'], 'w') as fh:
            json.dump(self.results, fh, indent=1, sort_keys=True)
