// A plugin that cannot work stops startup with a message naming it and the phase.
import { PluginHost, PluginBootError } from '../../plugins/sdk';
import { createTestApp } from '../support/test-app';
import { createExtensions } from '../../core/extensions/extensions';
import { brokenSetupPlugin, clashingProviderPlugin, dependentPlugin, futurePlugin, greetingPlugin } from '../support/fixture-plugins';

const bootError = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    return err as PluginBootError;
  }
  throw new Error('expected a PluginBootError');
};

test('invalid options name the plugin and the option', () => {
  const err = bootError(() => new PluginHost([greetingPlugin({ greeting: '' })]));
  expect(err).toBeInstanceOf(PluginBootError);
  expect(err.message).toBe('plugin "@test/plugin-greeting" failed to load: invalid options — greeting: Too small: expected string to have >=1 characters');
});

test('an incompatible plugin API range is refused', () => {
  expect(bootError(() => new PluginHost([futurePlugin()])).message).toBe(
    'plugin "@test/plugin-future" failed to load: it needs plugin API ^2.0.0, this Personae provides 1.0.0',
  );
});

test('a missing dependency is named', () => {
  expect(bootError(() => new PluginHost([dependentPlugin()])).message).toBe(
    'plugin "@test/plugin-dependent" failed to load: it depends on "@test/plugin-greeting", which is not in personae.config.ts',
  );
});

test('two plugins registering the same provider key are both named', () => {
  const host = new PluginHost([greetingPlugin({ greeting: 'Hi' }), clashingProviderPlugin()]);
  expect(bootError(() => host.registerExtensions(createExtensions())).message).toBe(
    'plugin "@test/plugin-clash" failed to register its extensions: email provider "test-null" is registered by both @test/plugin-greeting and @test/plugin-clash',
  );
});

test('a setup that throws stops the app from starting, naming the plugin', async () => {
  await expect(createTestApp({ plugins: [brokenSetupPlugin()] })).rejects.toThrow('plugin "@test/plugin-broken-setup" failed to set up: cannot reach the CRM');
});
