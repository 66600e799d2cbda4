// The root's tools are listed in package.json under "pnpmDevDependencies", not "devDependencies":
// npm (typed out of habit: `npm install`) would otherwise crawl the registry for them, fail on
// "workspace:*" and, beside an installed pnpm node_modules, crash minutes later. With no dependency
// it can resolve, npm stops at once on the root's `engines.npm`, which says what to run instead
// (.npmrc sets engine-strict for npm; pnpm-workspace.yaml turns it off for pnpm).
// pnpm reads this hook and installs them as the root's devDependencies, as if written there.
module.exports = {
  hooks: {
    readPackage(pkg) {
      if (pkg.name === 'tinyssb-ts' && pkg.pnpmDevDependencies) {
        pkg.devDependencies = { ...pkg.pnpmDevDependencies, ...pkg.devDependencies }
      }
      return pkg
    },
  },
}
