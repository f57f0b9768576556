// The driver registry of `tsible test`: molecule.yml's `driver.name` → a driver. One typed
// table; an unknown name is an error that lists the drivers tsible has.
import type { DelegatedOptions } from './default';
import { DelegatedDriver } from './default';
import { dockerDriver } from './docker';
import { podmanDriver } from './podman';
import type { Driver } from './types';

export type { Driver, DriverRun, Instance, Platform } from './types';

/** What a driver may need from the scenario run that creates it. */
export type DriverContext = DelegatedOptions;

type DriverFactory = (ctx: DriverContext) => Driver;

const DRIVERS = {
  default: (ctx) => new DelegatedDriver(ctx),
  delegated: (ctx) => new DelegatedDriver(ctx),
  docker: () => dockerDriver(),
  podman: () => podmanDriver(),
} satisfies Record<string, DriverFactory>;

export type DriverName = keyof typeof DRIVERS;

export function driverNames(): string[] {
  return Object.keys(DRIVERS);
}

export function isDriverName(name: string): name is DriverName {
  return Object.prototype.hasOwnProperty.call(DRIVERS, name);
}

export class UnknownDriverError extends Error {}

export function createDriver(name: string, ctx: DriverContext): Driver {
  if (!isDriverName(name)) {
    throw new UnknownDriverError(`driver '${name}' is not available in tsible (drivers: ${driverNames().join(', ')})`);
  }
  return DRIVERS[name](ctx);
}
