// The lab's nodes as data: the posts' cluster (etcd nodes, Kubernetes masters and workers) as
// docker platforms and the inventory groups they belong to.
import type { Platform } from '../testing/drivers/types';
import { BUILTIN_IMAGE } from '../testing/images/recipe';

export interface LabSize {
  etcd: number;
  masters: number;
  workers: number;
}

export const DEFAULT_LAB_SIZE: LabSize = { etcd: 1, masters: 1, workers: 2 };

/** Inventory groups of the posts; `k8s` has the three others as children. */
export const LAB_GROUPS = { etcd: 'etcd', masters: 'k8s_controller', workers: 'k8s_worker' } as const;
export const LAB_PARENT_GROUP = 'k8s';

export interface LabNode {
  name: string;
  group: (typeof LAB_GROUPS)[keyof LabSize];
}

export function labNodes(size: LabSize): LabNode[] {
  const nodes: LabNode[] = [];
  const add = (prefix: string, n: number, group: LabNode['group']): void => {
    for (let i = 1; i <= n; i++) nodes.push({ name: `${prefix}${i}`, group });
  };
  add('etcd', size.etcd, LAB_GROUPS.etcd);
  add('master', size.masters, LAB_GROUPS.masters);
  add('worker', size.workers, LAB_GROUPS.workers);
  return nodes;
}

/**
 * A node is a systemd container of the built-in image. Docker runs inside masters and workers
 * in the posts, so every node may run dockerd: NET_ADMIN and a data root on its own volume.
 */
export function labPlatform(node: LabNode, image: string = BUILTIN_IMAGE): Platform {
  return {
    name: node.name,
    image,
    groups: [node.group],
    capabilities: ['NET_ADMIN'],
    volumes: [`${node.name}-docker:/var/lib/docker`],
  };
}
