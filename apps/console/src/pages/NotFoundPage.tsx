import { Anchor, Stack, Text, Title } from '@mantine/core';
import { Link } from 'react-router';

export function NotFoundPage() {
  return (
    <Stack p="xl" align="flex-start" component="main">
      <Title order={1} size="h2">
        Page not found
      </Title>
      <Text>There is no page at this address. It may have been moved, or the link is incomplete.</Text>
      <Anchor component={Link} to="/">
        Go to the start page
      </Anchor>
    </Stack>
  );
}
