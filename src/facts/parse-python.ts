// The python facts (ansible_python, ansible_python_version): the target's Python when it has
// one (ansible_python_interpreter, else /usr/bin/python3 or the first python on PATH), never
// required; a target without Python simply has no python facts.
import type { Sections } from './probe';

const PY_CODE =
  'import sys,json,importlib.util as u;v=sys.version_info;' +
  'print(json.dumps({"executable":sys.executable,"has_sslcontext":u.find_spec("ssl") is not None,"type":sys.implementation.name,' +
  '"version":dict(zip(("major","minor","micro","releaselevel","serial"),v)),"version_info":list(v)}))';

/** sh that sets $py to the interpreter in $TSIBLE_PYTHON, or (unset or auto*) the one found on the target. */
export const FIND_PYTHON =
  'py=${TSIBLE_PYTHON:-}; case "$py" in auto*|"") py=; for c in /usr/bin/python3 python3 /usr/libexec/platform-python python3.12 python3.11 python3.10 python3.9 python2.7 /usr/bin/python python; do ' +
  'p=$(command -v "$c" 2>/dev/null) && { py=$p; break; }; done;; esac';

export const PYTHON_PROBE = `${FIND_PYTHON}; [ -n "$py" ] && "$py" -c '${PY_CODE}'`;

export interface PythonFacts {
  python?: Record<string, unknown>;
  python_version?: string;
}

export function pythonFacts(sections: Sections): PythonFacts {
  const text = (sections.get('python') ?? '').trim();
  if (!text.startsWith('{')) return {};
  try {
    const info = JSON.parse(text) as { version: { major: number; minor: number; micro: number } } & Record<string, unknown>;
    const v = info.version;
    return { python: info, python_version: `${v.major}.${v.minor}.${v.micro}` };
  } catch {
    return {};
  }
}
