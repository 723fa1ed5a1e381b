/** Shown when the app was built with settings the resolver cannot use: a build problem, said plainly. */
export function ConfigurationProblem(props: { message: string }) {
  return (
    <main className="cartae-web">
      <h1>Marketplace</h1>
      <p role="alert" className="cartae-web__banner">
        This app was built with marketplace settings it cannot use: {props.message}. Fix the VITE_* variables
        and rebuild.
      </p>
    </main>
  );
}
