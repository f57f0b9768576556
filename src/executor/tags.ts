// --tags / --skip-tags selection with Ansible's special tags: always, never, tagged, untagged, all.

export interface TagSelection {
  only: string[]; // --tags (empty = all)
  skip: string[]; // --skip-tags
}

export function shouldRunTags(tags: string[], sel: TagSelection): boolean {
  const tagSet = new Set(tags);
  const only = sel.only.length ? new Set(sel.only) : new Set(['all']);
  let run = false;
  if (tagSet.has('always') && !sel.skip.includes('always')) run = !(tagSet.has('never') && !only.has('never'));
  if (!run) {
    if (only.has('all')) run = !tagSet.has('never');
    if (!run && only.has('tagged')) run = tagSet.size > 0 && !tagSet.has('never');
    if (!run && only.has('untagged')) run = tagSet.size === 0;
    if (!run) run = tags.some((t) => only.has(t));
  }
  if (run && sel.skip.length) {
    const skip = new Set(sel.skip);
    if (tags.some((t) => skip.has(t))) run = false;
    else if (skip.has('tagged') && tagSet.size > 0) run = false;
    else if (skip.has('untagged') && tagSet.size === 0) run = false;
    else if (skip.has('all')) run = tagSet.has('always') && !skip.has('always');
  }
  return run;
}
