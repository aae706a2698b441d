import type { Config } from 'jest';

// ESM all the way: @logto/connector-kit ships as ES modules only.
// Type checking runs once in `pnpm typecheck`; ts-jest only transpiles here, which keeps the suite fast.
const config: Config = {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  roots: ['<rootDir>/packages', '<rootDir>/bench'],
  testMatch: ['**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/lib/'],
  moduleNameMapper: {
    '^@sms-suite/sms-kit$': '<rootDir>/packages/sms-kit/src/index.ts',
    '^@sms-suite/sms-kit/testing$': '<rootDir>/packages/sms-kit/test/connector-support.ts',
    '^@sms-suite/sandbox$': '<rootDir>/packages/sandbox/src/index.ts',
    '^@sms-suite/catalog$': '<rootDir>/packages/catalog/src/index.ts',
    '^@sms-suite/(connector-[a-z]+-sms)$': '<rootDir>/packages/$1/src/index.ts',
  },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: '<rootDir>/tsconfig.base.json' }],
  },
  testTimeout: 20_000,
};

export default config;
