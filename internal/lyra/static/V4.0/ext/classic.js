/* guichet's embedded form looks the same in every theme: the theme scripts
   exist so that pages loading Lyra's themes load without error. */
