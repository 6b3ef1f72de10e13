// Debian's Chromium as the tests and benches launch it (playwright-core): headless, software GL (SwiftShader),
// nothing fetched from the network. One list, so a page test and its bench run the same browser.

export const CHROMIUM = '/usr/bin/chromium';

export const CHROMIUM_FLAGS = [
  '--headless=new',
  '--no-sandbox',
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
];
