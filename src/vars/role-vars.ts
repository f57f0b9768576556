// A task's role defaults and role vars in Ansible's order (Role.get_default_vars / get_vars):
// the role's dependencies (recursively), the roles it is a dependency of, and the role itself.
import type { RoleInstance } from '../playbook/model';

/** Every dependency of a role, deepest first, each after its own dependencies. */
function allDependencies(role: RoleInstance): RoleInstance[] {
  return role.dependencies.flatMap((d) => [...allDependencies(d), d]);
}

/** The roles whose dependency a role is: outermost first, the role itself not included. */
function parentRoles(role: RoleInstance): RoleInstance[] {
  const out: RoleInstance[] = [];
  for (let r = role.parent; r; r = r.parent) out.unshift(r);
  return out;
}

/** defaults: the dependencies' (with theirs), the parent roles', then the role's own. */
export function roleDefaultLayers(role: RoleInstance, withParents = true): Record<string, unknown>[] {
  return [
    ...allDependencies(role).flatMap((d) => roleDefaultLayers(d, false)),
    ...(withParents ? parentRoles(role).map((p) => p.defaults) : []),
    role.defaults,
  ];
}

/** vars: the parent roles' (inherited), then the dependencies' (with theirs), then the role's own. */
export function roleVarLayers(role: RoleInstance, withParents = true): Record<string, unknown>[] {
  return [
    ...(withParents ? parentRoles(role).map((p) => p.vars) : []),
    ...allDependencies(role).flatMap((d) => roleVarLayers(d, false)),
    role.vars,
  ];
}
