import { describe, expect, it } from 'vitest';
import { isAllowedExternalUrl } from './external-url';

describe('isAllowedExternalUrl', () => {
  it.each([
    'https://support.example.com/kb/42',
    'HTTPS://Example.com/path?q=1#x',
    'mailto:helpdesk@example.com',
    'MailTo:helpdesk@example.com?subject=Printer',
  ])('allows %s', (url) => {
    expect(isAllowedExternalUrl(url)).toBe(true);
  });

  it.each([
    'file:///C:/Windows/System32/calc.exe',
    'FILE:///etc/passwd',
    'smb://attacker.example/share',
    '\\\\attacker.example\\share',
    'ms-msdt:/id PCWDiagnostic /skip force',
    'MS-MSDT:/id',
    'javascript:alert(1)',
    'JaVaScRiPt:alert(1)',
    ' javascript:alert(1)',
    'java\tscript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'http://example.com/',
    'vbscript:msgbox(1)',
    'search-ms:query=x',
    'https://user:pass@example.com/',
    'https://example.com/\u0000',
    'mailto:',
    'not a url',
    '',
  ])('refuses %s', (url) => {
    expect(isAllowedExternalUrl(url)).toBe(false);
  });
});
