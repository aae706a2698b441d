// The one list of providers, read by the CLI, the sandbox, the bench and the compatibility test.
export {
  catalog,
  catalogEntry,
  connectorPackageNames,
  routerEntry,
  isProviderName,
  providerNames,
  sandboxCredentials,
  sandboxSecretKeys,
  type CatalogEntry,
  type OfficialConnector,
  type ProviderName,
  type SandboxCredentials,
} from './catalog';
export { officialConnectorIds } from './official-ids';
