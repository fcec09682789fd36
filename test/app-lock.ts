// A package.json and package-lock.json for a fresh app that depends on the packed
// tarball (plus extra packages such as @types/node), every other entry (resolved URL,
// integrity) taken from the repository's own lockfile: `npm ci --offline` then installs
// the app from the npm cache that installing the repository filled, with no network
// and no version resolution.

interface LockEntry {
  version?: string;
  resolved?: string;
  integrity?: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  [key: string]: unknown;
}
export interface Lockfile {
  packages: Record<string, LockEntry>;
  [key: string]: unknown;
}
interface PackageJson {
  name: string;
  version: string;
  license?: string;
  dependencies?: Record<string, string>;
}

const depNames = (e: { dependencies?: Record<string, string>; optionalDependencies?: Record<string, string> }) => [
  ...Object.keys(e.dependencies ?? {}),
  ...Object.keys(e.optionalDependencies ?? {}),
];

/** The app's package.json and lockfile; throws naming a package the repository's lockfile lacks. */
export function appLock(rootLock: Lockfile, pkg: PackageJson, tarball: string, extras: string[]): { app: object; lock: object } {
  const pkgs = rootLock.packages;
  const out: Record<string, LockEntry> = {};
  const visit = (from: string, name: string): void => {
    // Node's lookup: from/node_modules/name, then each enclosing node_modules, then the top level
    let dir = from;
    for (;;) {
      const path = `${dir ? dir + '/' : ''}node_modules/${name}`;
      if (pkgs[path]) {
        if (out[path]) return;
        // eslint-disable-next-line @typescript-eslint/no-unused-vars
        const { dev, devOptional, peer, ...entry } = pkgs[path];
        out[path] = entry;
        for (const d of depNames(entry)) visit(path, d);
        return;
      }
      if (!dir) throw new Error(`appLock: ${name} (needed by ${from || 'the app'}) is not in the repository's package-lock.json`);
      const i = dir.lastIndexOf('/node_modules/');
      dir = i < 0 ? '' : dir.slice(0, i);
    }
  };
  for (const d of depNames(pkg)) visit('', d);
  for (const e of extras) visit('', e);
  const dependencies = { [pkg.name]: `file:${tarball}` };
  const devDependencies = Object.fromEntries(extras.map((e) => [e, out[`node_modules/${e}`].version!]));
  return {
    app: { name: 'app', version: '1.0.0', private: true, type: 'module', dependencies, devDependencies },
    lock: {
      name: 'app',
      version: '1.0.0',
      lockfileVersion: 3,
      requires: true,
      packages: {
        '': { name: 'app', version: '1.0.0', dependencies, devDependencies },
        [`node_modules/${pkg.name}`]: { version: pkg.version, resolved: `file:${tarball}`, license: pkg.license, dependencies: pkg.dependencies },
        ...out,
      },
    },
  };
}
